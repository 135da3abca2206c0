# A notified daemon waiter left blocked on the lock conflicted with a later notify: DPOR missed r0 = r1 = True (issue 9).
import threading
c = threading.Condition()
r0 = None
r1 = None
def t0():
    global r0
    r0 = c.acquire(timeout=0.5)
    if r0:
        c.notify()
def t1():
    global r1
    with c:
        r1 = c.wait()
h0 = threading.Thread(target=t0)
h1 = threading.Thread(target=t1, daemon=True)
h0.start()
h1.start()
with c:
    c.notify()
