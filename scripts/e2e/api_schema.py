#!/usr/bin/env python3
"""schemathesis (PyPI) against GET /openapi.yaml of a running harmonic serve: every operation,
signed in, no 5xx and no response that breaks the document. Run by
Tests/HarmonicServerTests/SchemathesisTests.swift; exits with schemathesis's status.

  python3 scripts/e2e/api_schema.py --base http://127.0.0.1:PORT --user kari --password PW
"""
import argparse
import json
import subprocess
import tempfile
import sys
import urllib.request


def main():
    a = argparse.ArgumentParser()
    a.add_argument("--base", required=True)
    a.add_argument("--user", required=True)
    a.add_argument("--password", required=True)
    a.add_argument("--max-examples", default="25")
    args = a.parse_args()
    request = urllib.request.Request(args.base + "/api/session", method="POST",
                                     data=json.dumps({"user": args.user, "password": args.password}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as r:
        cookie = r.headers["Set-Cookie"].split(";")[0]
        csrf = json.load(r)["csrfToken"]
    command = ["schemathesis", "run", args.base + "/openapi.yaml",
               "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
               "--phases", "examples,coverage,fuzzing",
               # Signing out would end the session the other operations use.
               "--exclude-method", "DELETE",
               "--max-examples", args.max_examples,
               "--workers", "1",
               "-H", "Cookie: " + cookie, "-H", "X-CSRF-Token: " + csrf]
    print(" ".join(command[:-4]), flush=True)
    # In a folder of its own: schemathesis keeps a cache (.schemathesis/) where it runs.
    run = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=tempfile.mkdtemp())
    # The report on standard output; also on standard error when it failed (the Swift test shows that).
    print(run.stdout)
    if run.returncode != 0:
        print(run.stdout[-6000:], file=sys.stderr)
    sys.exit(run.returncode)


if __name__ == "__main__":
    main()
