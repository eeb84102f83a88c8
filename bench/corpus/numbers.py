"""Vietnamese number formatting: "." groups thousands, "," is the decimal mark; number words."""

from __future__ import annotations


def fint(n: int) -> str:
    """80000 -> '80.000'."""
    s = str(n)
    out = []
    while len(s) > 3:
        out.append(s[-3:])
        s = s[:-3]
    out.append(s)
    return ".".join(reversed(out))


def fdec(x: float, nd: int = 2) -> str:
    """3.634 -> '3,63'; 10.0 -> '10'; drops trailing zeros."""
    s = f"{x:.{nd}f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    ip, _, fp = s.partition(".")
    ip = fint(int(ip))
    return ip + ("," + fp if fp else "")


_DIG = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]


def words(n: int) -> str:
    """Vietnamese number words for 0..999 999 ('hai mươi mốt', 'một trăm linh năm', 'tám mươi nghìn')."""
    if n >= 1000:
        th, rest = divmod(n, 1000)
        head = words(th) + " nghìn"
        if rest == 0:
            return head
        if rest < 100:
            return head + " không trăm " + (("linh " + _DIG[rest]) if rest < 10 else words(rest))
        return head + " " + words(rest)
    if n < 10:
        return _DIG[n]
    if n < 100:
        t, u = divmod(n, 10)
        head = "mười" if t == 1 else _DIG[t] + " mươi"
        if u == 0:
            return head
        if u == 1 and t > 1:
            return head + " mốt"
        if u == 5:
            return head + " lăm"
        if u == 4 and t > 1:
            return head + " tư"
        return head + " " + _DIG[u]
    h, rest = divmod(n, 100)
    head = _DIG[h] + " trăm"
    if rest == 0:
        return head
    if rest < 10:
        return head + " linh " + _DIG[rest]
    return head + " " + words(rest)


ORDINAL = {1: "nhất", 2: "hai", 3: "ba", 4: "tư", 5: "năm", 6: "sáu", 7: "bảy", 8: "tám", 9: "chín", 10: "mười"}
