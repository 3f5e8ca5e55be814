# MT19937-64 (Matsumoto & Nishimura), as std::mt19937_64, to check core's seeded shuffle (holdOutSplit,
# foldAssignment) and the recalibration preview independently. Run: python3 tests/tools/gen_holdout_split_refs.py
class MT64:
    def __init__(self, seed):
        self.mt = [0]*312; self.i = 312
        self.mt[0] = seed & 0xFFFFFFFFFFFFFFFF
        for k in range(1, 312):
            self.mt[k] = (6364136223846793005 * (self.mt[k-1] ^ (self.mt[k-1] >> 62)) + k) & 0xFFFFFFFFFFFFFFFF
    def __call__(self):
        if self.i >= 312:
            for k in range(312):
                x = (self.mt[k] & 0xFFFFFFFF80000000) | (self.mt[(k+1) % 312] & 0x7FFFFFFF)
                xa = x >> 1
                if x & 1: xa ^= 0xB5026F5AA96619E9
                self.mt[k] = self.mt[(k+156) % 312] ^ xa
            self.i = 0
        y = self.mt[self.i]; self.i += 1
        y ^= (y >> 29) & 0x5555555555555555
        y ^= (y << 17) & 0x71D67FFFEDA60000
        y ^= (y << 37) & 0xFFF7EEE000000000
        y ^= y >> 43
        return y & 0xFFFFFFFFFFFFFFFF
g = MT64(5489)
for _ in range(9999): g()
assert g() == 9981545732273789042
def shuffled(rows, seed):
    g = MT64(seed); order = list(range(rows))
    for i in range(rows, 1, -1):
        j = g() % i
        order[i-1], order[j] = order[j], order[i-1]
    return order
import numpy as np
from sklearn.isotonic import IsotonicRegression
order = shuffled(10, 7)
print("order", order)
scores = [0.05, 0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75, 0.85, 0.95]
labels = [0, 0, 1, 1, 0, 0, 1, 1, 0, 1]
fit, held = order[:5], order[5:]
iso = IsotonicRegression(out_of_bounds='clip').fit([scores[i] for i in fit], [labels[i] for i in fit])
print("fit", fit, "held", held)
print("after", [repr(v) for v in iso.predict([scores[i] for i in held])])
