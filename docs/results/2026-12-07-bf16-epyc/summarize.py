import json,re,glob,statistics as st
rows={}
for p in ['fp32','bf16']:
    for r in [1,2,3]:
        try:
            for line in open(f'bench-{p}-{r}.json'):
                o=json.loads(line)
                if 'workload' in o:
                    v=o.get('symbols_per_s') or o.get('values_per_s')
                    rows.setdefault(o['workload'],{}).setdefault(p,[]).append(v)
            for dom in ['audio','pixels']:
                s=open(f'{dom}-{p}-{r}.log').read().replace('\r','\n')
                m=re.search(r'after (\d+) steps',s)
                if m: rows.setdefault(dom+'_train_20s_steps',{}).setdefault(p,[]).append(int(m.group(1)))
        except FileNotFoundError: pass
print(f"{'workload':28} {'fp32 (3 rounds)':>32} {'bf16 (3 rounds)':>32} {'median ratio':>12}")
for w,d in rows.items():
    f,b=d.get('fp32',[]),d.get('bf16',[])
    if f and b:
        print(f"{w:28} {' '.join(f'{x:9.0f}' for x in f):>32} {' '.join(f'{x:9.0f}' for x in b):>32} {st.median(b)/st.median(f):12.2f}")
