# A notify that wakes nobody counted as dependent with a notified waiter taking its lock back: DPOR missed r = [1, 0] (issue 9).
import threading
c = threading.Condition()
r = []
def t0():
    with c:
        c.notify()
        r.append(0)
def t1():
    with c:
        c.wait()
        r.append(1)
h0 = threading.Thread(target=t0)
h1 = threading.Thread(target=t1)
h0.start()
h1.start()
with c:
    c.notify()
