"""Known vulnerabilities in the pinned dependencies; fails on any.

    python .ci/audit.py requirements.txt [--strict]

pip-audit resolves the requirements and looks each release up in PyPI's per-release JSON API.
Where only the per-project API answers (our CI machines reach PyPI through a mirror without the
other), pip-audit skips every dependency; the project's page still lists the advisories of its
latest release, which settles a pin at that release. A pin older than that is named as not
audited, and fails the run with --strict.
"""

import json
import re
import subprocess
import sys
import urllib.request

PROJECT_URL = "https://pypi.org/pypi/{name}/json"
SKIPPED_VERSION = re.compile(r"\(([^()\s]+)\)\s*$")


def pip_audit(requirements):
    command = [sys.executable, "-m", "pip_audit", "--requirement", requirements,
               "--format", "json", "--progress-spinner", "off"]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)  # noqa: S603
    if result.returncode not in (0, 1):  # 1: vulnerabilities found, reported below
        sys.exit(f"pip-audit failed:\n{result.stderr}")
    return json.loads(result.stdout)["dependencies"]


def latest_release_advisories(name):
    with urllib.request.urlopen(PROJECT_URL.format(name=name), timeout=30) as response:  # noqa: S310
        project = json.load(response)
    advisories = [a for a in project.get("vulnerabilities") or [] if not a.get("withdrawn")]
    return project["info"]["version"], advisories


def finding(name, version, advisory, fixed_in):
    return f"{name} {version}: {advisory}, fixed in {', '.join(fixed_in or []) or 'no release yet'}"


def audit(requirements):
    """(findings, unaudited, how many releases pip-audit and PyPI's project data settled)."""
    findings, unaudited, by_pip_audit, by_project_data = [], [], 0, 0
    for dependency in pip_audit(requirements):
        name = dependency["name"]
        if "skip_reason" not in dependency:
            by_pip_audit += 1
            findings += [
                finding(name, dependency["version"], vuln["id"], vuln["fix_versions"])
                for vuln in dependency["vulns"]
            ]
            continue
        pinned = SKIPPED_VERSION.search(dependency["skip_reason"])
        try:
            latest, advisories = latest_release_advisories(name)
        except OSError as error:
            unaudited.append(f"{name}: {dependency['skip_reason']}; project data: {error}")
            continue
        if pinned is None or pinned.group(1) != latest:
            unaudited.append(f"{name}: {dependency['skip_reason']} (latest release {latest})")
            continue
        by_project_data += 1
        findings += [finding(name, latest, a["id"], a.get("fixed_in")) for a in advisories]
    return findings, unaudited, by_pip_audit, by_project_data


def main():
    args = sys.argv[1:]
    strict = "--strict" in args
    requirements = next((arg for arg in args if not arg.startswith("--")), "requirements.txt")
    findings, unaudited, by_pip_audit, by_project_data = audit(requirements)
    print(
        f"Releases looked up: {by_pip_audit} by pip-audit, {by_project_data} in PyPI's project "
        f"data; {len(unaudited)} not audited."
    )
    for line in unaudited:
        print(f"NOT AUDITED {line}")
    for line in findings:
        print(f"VULNERABLE {line}")
    if not findings:
        print("No known vulnerabilities.")
    sys.exit(1 if findings or (strict and unaudited) else 0)


if __name__ == "__main__":
    main()
