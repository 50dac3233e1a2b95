#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""nvgrectl batches for nvgre_stress.sh, made on the host by
selftests/lib/Makefile (Python under TCG would take minutes of the test).

  stress_batch.py FILE SEED N

N record operations that each succeed when run in order on an empty
table (adds of absent keys, replaces and deletes of present ones) over
2,000 keys in VSIDs 7001-7008, with tenant A's record 10.0.0.1 of VSID
5001 replaced by itself every 997th line. FILE.count gets the number of
records the batch leaves in VSIDs 7001-7008.
"""

import os
import random
import sys

MAC1A = "02:00:00:00:01:01"


def main():
    path, seed, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rnd = random.Random(seed)
    keys = [("10.1.%d.%d" % (i // 250, i % 250 + 1), 7001 + i % 8)
            for i in range(2000)]
    live = set()
    with open(path + ".tmp", "w") as f:
        for i in range(n):
            if i % 997 == 0:
                f.write("replace-lookup 10.0.0.1 vsid 5001 pa 192.0.2.1 mac %s\n"
                        % MAC1A)
                continue
            k = rnd.choice(keys)
            pa = "192.0.2.%d" % rnd.randint(10, 250)
            mac = "02:00:00:%02x:%02x:%02x" % (rnd.randint(0, 255),
                                               rnd.randint(0, 255),
                                               rnd.randint(1, 255))
            if k not in live:
                f.write("add-lookup %s vsid %d pa %s mac %s\n" % (k[0], k[1], pa, mac))
                live.add(k)
            elif rnd.random() < 0.5:
                f.write("replace-lookup %s vsid %d pa %s mac %s\n" % (k[0], k[1], pa, mac))
            else:
                f.write("del-lookup %s vsid %d\n" % k)
                live.remove(k)
    with open(path + ".count", "w") as f:
        f.write("%d\n" % len(live))
    # the batch last, so that make sees it complete
    os.rename(path + ".tmp", path)


if __name__ == "__main__":
    main()
