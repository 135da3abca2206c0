def a(n):
    try:
        if n == 0:
            raise ValueError("zero")
        return 1
    except ValueError:
        print("a caught")
    finally:
        print("a finally")


def f(n):
    try:
        if n == 0:
            raise ValueError("zero")
        x = 1
    except ValueError:
        print("f caught")
    finally:
        print("f finally")


def g(n):
    try:
        if n == 0:
            raise ValueError("zero")
        return 1
    except ValueError:
        print("g caught")


f(0)
g(0)
a(0)
