# Daemon threads: a notify races a timed wait's timeout while the main thread ends; DPOR
# explored 83 of the 84 Mazurkiewicz traces (issue 9).
import threading
cv = threading.Condition()
x = 0
r1 = None
def t0():
    global x
    with cv:
        x = 1
        cv.notify()
def t1():
    global r1
    with cv:
        r1 = cv.wait(0.5)
def main():
    h0 = threading.Thread(target=t0, daemon=True)
    h1 = threading.Thread(target=t1, daemon=True)
    h0.start()
    h1.start()
main()
