#!/usr/bin/env bash
# Every 10 s: the machine's user, idle and steal jiffies (USER_HZ 100, 2 CPUs: 2,000 per 10 s).
while kill -0 "$1" 2>/dev/null; do
  a=($(head -1 /proc/stat)); sleep 10; b=($(head -1 /proc/stat))
  echo "$(date -u +%T) user $((b[1]-a[1])) idle $((b[4]-a[4])) steal $((b[8]-a[8]))"
done
