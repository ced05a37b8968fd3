"""The sandbox's TAB account: balance, history, pricing enquiry, betslip and settlement.

Every body shape the reference notes grade below H is modelled from them and marked as an
unverified shape where it is built.
"""
