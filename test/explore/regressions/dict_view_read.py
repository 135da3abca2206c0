# A read through a dict view (len(d.keys())) had no footprint: DPOR missed n = 2 (issue 9).
import threading
d = {'a': 1}
v = d.keys()
def t():
    d['b'] = 2
h = threading.Thread(target=t)
h.start()
n = len(v)
