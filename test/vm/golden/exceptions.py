def show(f):
    try:
        f()
    except Exception as e:
        print(type_name(e), '|', e, '|', repr(e))


def type_name(e):
    for cls, name in [(ZeroDivisionError, 'ZeroDivisionError'), (KeyError, 'KeyError'), (IndexError, 'IndexError'),
                      (UnboundLocalError, 'UnboundLocalError'), (NameError, 'NameError'), (TypeError, 'TypeError'),
                      (ValueError, 'ValueError'), (AssertionError, 'AssertionError'), (RuntimeError, 'RuntimeError'),
                      (OverflowError, 'OverflowError'), (Exception, 'Exception')]:
        if isinstance(e, cls):
            return name
    return '?'


def div0():
    return 1 / 0


def floordiv0():
    return 1 // 0


def mod0():
    return 1 % 0


def missing_key():
    return {'a': 1}['b']


def bad_index():
    return [1, 2][5]


def unbound():
    print(x)
    x = 1


def undefined():
    return undefined_name


def bad_add():
    return 'a' + 1


def bad_add2():
    return 1 + 'a'


def bad_mul():
    return [1] * 'a'


def bad_len():
    return len(5)


def bad_int():
    return int('x')


def bad_cmp():
    return 1 < 'a'


def bad_call():
    nothing = None
    return nothing()


def too_many():
    return greet(1, 2, 3)


def too_few():
    return greet()


def greet(a, b=2):
    return a + b


def failed_assert():
    assert 1 > 2, 'one is not bigger'


def bare_assert():
    assert False


def raise_value():
    raise ValueError('custom message')


def raise_class():
    raise RuntimeError


def pop_empty():
    return [].pop()


def unpack():
    a, b = [1, 2, 3]


def min_empty():
    return min([])


for f in [div0, floordiv0, mod0, missing_key, bad_index, unbound, undefined, bad_add, bad_add2, bad_mul, bad_len,
          bad_int, bad_cmp, bad_call, too_many, too_few, failed_assert, bare_assert, raise_value, raise_class,
          pop_empty, unpack, min_empty]:
    show(f)


def with_finally():
    try:
        return 'from try'
    finally:
        print('finally runs')


print(with_finally())
for i in range(3):
    try:
        if i == 1:
            continue
        print('body', i)
    finally:
        print('finally', i)
try:
    try:
        raise KeyError('inner')
    except KeyError as e:
        print('caught', repr(e))
        raise
except LookupError as outer:
    print('outer caught', repr(outer))
else:
    print('no else')
try:
    print('no exception')
except Exception:
    print('not here')
else:
    print('else runs')
finally:
    print('finally after else')
try:
    raise ValueError('a')
except (TypeError, ValueError) as e:
    print('tuple match', e)
