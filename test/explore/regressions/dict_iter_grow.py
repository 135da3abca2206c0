# A thread iterates a dict while another adds a key: the stateful search (the oracle) merged
# states whose dict iterators started on different sizes, and missed x = [1, 2] (issue 9).
import threading
d = {1: 1}
x = None
def a():
    global x
    x = [k for k in d]
def b():
    d[2] = 2
t1 = threading.Thread(target=a)
t2 = threading.Thread(target=b)
t1.start(); t2.start()
t1.join(); t2.join()
