#!/bin/sh
# Records every SIGTERM/SIGINT/SIGUSR1 it receives as "<SIGNAL> <epoch seconds.nanoseconds>" lines in $1 and
# exits 0 on SIGTERM: the "app that handles SIGTERM cleanly" case (exit 0, reason Completed).
out=$1
trap 'echo "TERM $(date +%s.%N)" >>"$out"; exit 0' TERM
trap 'echo "INT $(date +%s.%N)" >>"$out"' INT
trap 'echo "USR1 $(date +%s.%N)" >>"$out"' USR1
echo "ready $$" >>"$out"
# Wait in the shell builtin so traps run at once (a foreground child would delay them until it ends).
while :; do
  sleep 1 &
  wait $!
done
