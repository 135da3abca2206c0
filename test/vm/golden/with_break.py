import threading

lock = threading.Lock()
out = []
for x in [0, 1, 2]:
    with lock:
        try:
            if x == 0:
                raise ValueError("zero")
            if x == 2:
                break
            out.append(x)
        except ValueError:
            out.append("caught")
print(out, lock.locked())
for x in [0, 1]:
    try:
        try:
            if x == 0:
                raise KeyError("k")
            continue
        except KeyError:
            out.append("k")
    finally:
        out.append("fin")
print(out)
