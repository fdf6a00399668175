#!/bin/bash
# prism's growth with the number of series (snaive; h 18; 4 shuffled files, 4 output shards)
for n in 5k 50k; do
  echo "== $n prism snaive (load: $(uptime | sed 's/.*load average: //'))"
  /usr/bin/time -v /tmp/lead/arkit-beam series forecast --csv "/tmp/lead/s$n/part-*.csv" --horizon 18 --method snaive --out /tmp/lead/b$n --shards 4 > /tmp/lead/p$n.out 2> /tmp/lead/p$n.err
  echo "   exit $?"
  grep -E "Elapsed \(wall|Maximum resident|User time|System time" /tmp/lead/p$n.err | sed 's/^\s*/   /'
  echo "== $n cli --sorted snaive (load: $(uptime | sed 's/.*load average: //'))"
  /usr/bin/time -v /tmp/lead/arkit series forecast --csv /tmp/lead/s$n/sorted.csv --horizon 18 --method snaive --sorted --out /tmp/lead/c$n.csv > /dev/null 2> /tmp/lead/c$n.err
  echo "   exit $?"
  grep -E "Elapsed \(wall|Maximum resident|User time|System time" /tmp/lead/c$n.err | sed 's/^\s*/   /'
  echo "   same rows: $( [ "$(tail -n +2 /tmp/lead/c$n.csv | sort | sha256sum)" = "$(cat /tmp/lead/b$n-*.csv | grep -v '^id,' | sort | sha256sum)" ] && echo yes || echo NO)"
done
