# Three threads delete one key, one a daemon: a failing del was a read and a succeeding one a
# write, so the del DPOR moved ahead was not the del it had compared; DPOR missed r = [0, 2].
import threading
d = {'j': 0}
r = []
def t0():
    try:
        del d['j']
    except KeyError:
        r.append(0)
def t1():
    try:
        del d['j']
    except KeyError:
        r.append(1)
def t2():
    try:
        del d['j']
    except KeyError:
        r.append(2)
h0 = threading.Thread(target=t0)
h1 = threading.Thread(target=t1, daemon=True)
h2 = threading.Thread(target=t2)
h0.start()
h1.start()
h2.start()
h0.join()
