# A del d[k] that raised KeyError had no footprint: DPOR missed r = [0] (issue 9).
import threading
d = {'j': 0}
r = []
def t():
    try:
        del d['j']
    except KeyError:
        r.append(1)
h = threading.Thread(target=t)
h.start()
try:
    del d['j']
except KeyError:
    r.append(0)
