#!/bin/sh
# Writes "out <n>" to stdout and "err <n>" to stderr every $1 seconds (default 0.02), n counting from 0, forever.
i=0
while :; do
  echo "out $i"
  echo "err $i" >&2
  i=$((i + 1))
  sleep "${1:-0.02}"
done
