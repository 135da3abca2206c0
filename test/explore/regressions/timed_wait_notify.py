import threading
c = threading.Condition()
r = []
def f1():
    with c:
        r.append('n')
        c.notify()
t = threading.Thread(target=f1)
t.start()
with c:
    r.append('w')
    r.append(c.wait(1))
