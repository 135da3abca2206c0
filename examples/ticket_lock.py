# A ticket lock: take the next ticket (a short lock makes taking it atomic, as fetch-and-add
# does in hardware), wait until it is served, and serve the next one on leaving: first come,
# first served.
import threading

next_ticket = 0
now_serving = 0
count = 0
dispenser = threading.Lock()


def critical():
    global count
    count += 1


def worker():
    global next_ticket, now_serving
    for _ in range(2):
        with dispenser:
            mine = next_ticket
            next_ticket += 1
        while now_serving != mine:
            pass
        critical()
        now_serving += 1


t0 = threading.Thread(target=worker)
t1 = threading.Thread(target=worker)
t0.start()
t1.start()
t0.join()
t1.join()
