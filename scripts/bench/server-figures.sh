#!/usr/bin/env bash
# The figures of harmonic serve (docs/server.md, "Figures"): the calculator API under 50
# concurrent connections (wrk: requests/s, p50, p99), server memory (VmRSS) at rest, under that
# load and during an ingest, and the upload+ingest of a synthetic site extract through the web
# (zip upload, job polled to its end) against `harmonic ingest` on the CLI.
#   scripts/bench/server-figures.sh [HARMONIC_BINARY] [CHILDREN]   (needs wrk, curl, python3, sqlite3)
set -euo pipefail
H=${1:-.build/release/harmonic}; CHILDREN=${2:-10000}; H=$(realpath "$H")
W=$(mktemp -d); cd "$W"; PORT=18087; URL=http://127.0.0.1:$PORT
"$H" synth --out synth --children "$CHILDREN" --corrupt 1% >/dev/null 2>&1
mkdir keys; "$H" ingest --new-key keys/NO.key 2>/dev/null
printf 'correct horse battery staple' > pw
"$H" users add --store web.sqlite --user kari --role data_manager --site NO --password-file pw >/dev/null
"$H" serve --store web.sqlite --port $PORT --site-keys keys --upload-dir uploads >serve.log 2>&1 & PID=$!
trap 'kill $PID; rm -rf "$W"' EXIT
until curl -sf $URL/api/health >/dev/null; do sleep 0.5; done
rss() { awk '/VmRSS/{print $2}' /proc/$PID/status; }
echo "load: $(uptime)"; echo "server RSS at rest: $(rss) kB"
SESSION=$(curl -s -c - -H 'Content-Type: application/json' -d '{"user":"kari","password":"correct horse battery staple"}' $URL/api/session)
COOKIE=$(echo "$SESSION" | awk '/harmonic_session/{print $7}')
CSRF=$(curl -s -b "harmonic_session=$COOKIE" $URL/api/session | python3 -c 'import json,sys; print(json.load(sys.stdin)["csrfToken"])')
Q='age=3&weight=14&kap=4.2&procedure=asd_closure'
curl -s -o /dev/null -b "harmonic_session=$COOKIE" "$URL/api/dose/estimate?$Q"   # loads the coefficient library
for R in 2000 100; do
  echo "calculator, realisations=$R, wrk -t2 -c50 -d30s:"
  wrk -t2 -c50 -d30s --timeout 30s --latency -H "Cookie: harmonic_session=$COOKIE" "$URL/api/dose/estimate?$Q&realisations=$R" | grep -E 'Requests/sec|50%|99%'
  echo "server RSS after: $(rss) kB"
done
python3 -c "
import os, zipfile
with zipfile.ZipFile('no.zip', 'w', zipfile.ZIP_DEFLATED) as z:
    for f in sorted(os.listdir('synth/NO-cardiac')): z.write('synth/NO-cardiac/' + f, 'NO-cardiac/' + f)"
T0=$(date +%s.%N)
ID=$(curl -s -b "harmonic_session=$COOKIE" -H "X-CSRF-Token: $CSRF" -H 'Content-Type: application/zip' --data-binary @no.zip $URL/api/sites/NO/uploads \
     | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
MAX=0
while :; do
  S=$(curl -s -b "harmonic_session=$COOKIE" $URL/api/jobs/$ID); R=$(rss); [ "$R" -gt "$MAX" ] && MAX=$R
  echo "$S" | grep -q '"state" : "\(running\|queued\)"' || break; sleep 0.2
done
echo "web upload+ingest of NO-cardiac ($(du -k no.zip | cut -f1) kB zip): $(echo "$(date +%s.%N) - $T0" | bc) s; server RSS peak $MAX kB"
T0=$(date +%s.%N)
"$H" ingest synth/NO-cardiac --store cli.sqlite --site-key-file keys/NO.key --site NO --user kari >/dev/null 2>&1 || true
echo "CLI ingest of the same folder: $(echo "$(date +%s.%N) - $T0" | bc) s"
for t in patients cardiac_procedures irradiation_events quarantine; do
  echo "  $t: web $(sqlite3 web.sqlite "select count(*) from $t"), CLI $(sqlite3 cli.sqlite "select count(*) from $t")"
done
echo "load: $(uptime)"
