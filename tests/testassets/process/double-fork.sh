#!/bin/sh
# Leaves a classic daemon behind: setsid -f forks and starts a new session, the shell in it forks `sleep` and
# exits, so the sleep is orphaned in a session and process group of its own. Its PID goes to "$1".
# With $2 = "exit", the main process then exits 0 at once; otherwise it runs until stopped.
/usr/bin/setsid -f /bin/sh -c 'sleep 1000 & echo $! >"$0.tmp" && mv "$0.tmp" "$0"; exit 0' "$1"
echo "forked"
if [ "$2" = "exit" ]; then
  while [ ! -s "$1" ]; do sleep 0.01; done
  exit 0
fi
while :; do
  sleep 1
done
