import threading
y = 0
def f1():
    pass
def f2():
    global y
    T1.join()
    y = 1
T1 = threading.Thread(target=f1)
T2 = threading.Thread(target=f2, daemon=True)
T1.start()
T2.start()
