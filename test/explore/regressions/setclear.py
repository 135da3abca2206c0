# expect: sometimes deadlock
# expect: sometimes passed == True
import threading
ev = threading.Event()
passed = False
def setter():
    ev.set()
    ev.clear()
def waiter():
    global passed
    ev.wait()
    passed = True
a = threading.Thread(target=setter)
b = threading.Thread(target=waiter)
a.start(); b.start()
a.join(); b.join()
