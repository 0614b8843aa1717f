"""One module per family of rules that tie referrals together; each exposes ``add(model)``.

Rules about a referral alone are not here: they are domain filters applied when candidates are built.
"""

from optimizer.constraints import capacity, move_on, non_associates, one_place, resident_mix

PLACEMENT_FAMILIES = (one_place, capacity, non_associates)  # all that decides who can be placed
FAMILIES = (*PLACEMENT_FAMILIES, move_on, resident_mix)
