# expect: sometimes most == 2
# expect: never most == 3
import threading
s = threading.Semaphore(2)
inside = [0]
most = 0
def worker():
    global most
    with s:
        inside.append(1)
        n = len(inside) - 1
        if n > most:
            most = n
        inside.pop()
ts = [threading.Thread(target=worker) for _ in range(3)]
for t in ts:
    t.start()
for t in ts:
    t.join()
