# expect: sometimes seen == 0
# expect: sometimes seen == 1
# expect: sometimes race data
import threading
ev = threading.Event()
ev.set()
data = 0
seen = -1
def writer():
    global data
    data = 1
    ev.set()
def reader():
    global seen
    ev.wait()
    seen = data
w = threading.Thread(target=writer)
r = threading.Thread(target=reader)
w.start(); r.start()
w.join(); r.join()
