# A del a[0] that raised IndexError had no footprint: DPOR missed one outcome (issue 9).
import threading
a = []
def t():
    a.append(1)
h = threading.Thread(target=t)
h.start()
try:
    del a[0]
except IndexError:
    v = -1
