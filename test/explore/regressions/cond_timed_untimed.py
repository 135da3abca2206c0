# A Condition with a timed waiter (w1) and an untimed one (w2): DPOR missed r = ['b', 'a'],
# where w2 is notified and appends before w1 takes the lock (issue 9).
import threading
c = threading.Condition()
r = []
def w1():
    with c:
        r.append('a')
        c.wait(1)
def w2():
    with c:
        c.wait()
        r.append('b')
h1 = threading.Thread(target=w1)
h2 = threading.Thread(target=w2)
h1.start(); h2.start()
with c:
    c.notify()
