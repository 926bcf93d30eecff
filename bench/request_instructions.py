"""
Instructions per request, counted by valgrind's callgrind: the same figure run after run, however
busy the machine, where bench/request_cost.py's milliseconds swing by a third on a shared one.
Use it to tell whether a change makes a page cheaper; use request_cost.py for what it costs.

Each page is run in two processes under callgrind, one making 20 requests after its warm-up and
one making none: the difference, divided by 20, is the instructions of one request in this
process (PostgreSQL's and Redis's work is not in it). The pages, the database and the settings
are request_cost.py's:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_100000_bench \\
    REDIS_URL=redis://127.0.0.1:6379/13 DJANGO_SECRET_KEY=x DJANGO_DEBUG=0 \\
    DJANGO_SECURE_SSL_REDIRECT=0 python bench/request_instructions.py --only article home

About a minute a page. Needs valgrind (Debian's package).
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

WARM_UP = 15


def count(page, requests):
    """The instructions callgrind collects in a process that serves `page` `requests` times."""
    command = [
        "valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
        sys.executable, __file__, "--serve", page, str(requests),
    ]  # fmt: skip
    finished = subprocess.run(command, capture_output=True, text=True, check=False)
    found = re.search(r"Collected : (\d+)", finished.stderr)
    if finished.returncode or not found:
        sys.exit(f"callgrind failed on {page!r}:\n{finished.stderr[-2000:]}")
    return int(found.group(1))


def serve(page, requests):
    """Serve `page` (a name in request_cost.pages()) after a warm-up, as request_cost.py does."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import request_cost  # sets Django up

    handler = request_cost.make_handler()
    path, cookie = request_cost.pages()[page]
    for _ in range(WARM_UP + requests):
        request_cost.call(handler, path, cookie)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument(
        "--only", nargs="*", help="Only the pages whose names start so (e.g. article home)."
    )
    parser.add_argument("--serve", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        return serve(args.serve[0], int(args.serve[1]))
    if not shutil.which("valgrind"):
        sys.exit("Needs valgrind: apt-get install valgrind")
    if os.environ.get("DJANGO_DEBUG", "1") != "0":
        sys.exit("Set DJANGO_DEBUG=0: the figures are for the production settings.")
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import request_cost

    names = [
        name
        for name in request_cost.pages()
        if "rendered afresh" in name and (not args.only or name.startswith(tuple(args.only)))
    ]
    print("| Page | instructions per request (millions) |")
    print("| --- | ---: |")
    for name in names:
        spent = count(name, args.requests) - count(name, 0)
        print(f"| {name} | {spent / args.requests / 1e6:.2f} |", flush=True)


if __name__ == "__main__":
    main()
