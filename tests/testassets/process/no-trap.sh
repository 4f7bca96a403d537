#!/bin/sh
# No signal handling at all: a host process dies on SIGTERM's default action (exit 143, reason Error),
# unlike a container's PID 1, which the kernel would shield.
echo "ready $$"
while :; do
  sleep 1
done
