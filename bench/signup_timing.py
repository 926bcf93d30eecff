"""
How long a newsletter signup takes to answer, by the state the address is in (security finding
13.8: the time told whether an address was subscribed). Each round posts the signup form once
for a new, a pending, a confirmed and a bounced address, in a shuffled order, through Django's
test client in this process, with the settings `make serve` uses (debug off, so the `dummy`
task backend) and email kept in memory; it prints the median and 90th percentile of each
state, in milliseconds.

    python bench/signup_timing.py [--rounds 300]

It makes its own SQLite database in a temporary folder unless DATABASE_URL names one (which it
migrates and fills with bench-N@example.com subscribers).
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{tempfile.mkdtemp()}/signup_timing.sqlite3")
os.environ.setdefault("DJANGO_SECRET_KEY", "signup-timing-bench")
os.environ["DJANGO_DEBUG"] = "0"
os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "0"
os.environ["NEWSROOM_NEWSLETTER_SIGNUP_RATE_LIMIT"] = "100000000"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

from newsletter.models import Subscriber  # noqa: E402

STATES = ["new", "pending", "confirmed", "bounced"]
IN_MEMORY_MAIL = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=300)
    rounds = parser.parse_args().rounds
    call_command("migrate", verbosity=0)
    client = Client(HTTP_HOST="127.0.0.1")
    times = {state: [] for state in STATES}
    order = random.Random(13)  # noqa: S311 - an order of tries, not a secret
    with override_settings(MAILERS=IN_MEMORY_MAIL):
        for n in range(-20, rounds):  # the first 20 warm up and are not counted
            for state in order.sample(STATES, len(STATES)):
                email = f"bench-{state}-{n}-{time.time_ns()}@example.com"
                # Every try starts after one row written, so only the address's state differs.
                status = "pending" if state == "new" else state
                Subscriber.objects.create(email=f"other-{email}" if state == "new" else email,
                                          status=status)  # fmt: skip
                start = time.perf_counter()
                response = client.post("/newsletter/", {"email": email, "name": "Ana"})
                elapsed = time.perf_counter() - start
                if response.status_code != 302:
                    raise SystemExit(f"signup answered {response.status_code}")
                if n >= 0:
                    times[state].append(elapsed * 1000)
    print(f"{rounds} signups of each state, milliseconds: median, 90th percentile")
    for state, values in times.items():
        p90 = statistics.quantiles(values, n=10)[-1]
        print(f"  {state:<10} {statistics.median(values):6.2f} {p90:6.2f}")


if __name__ == "__main__":
    main()
