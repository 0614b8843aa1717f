"""The referral unit and managers place people: the dashboard of placement requests, each request's page, "unable
to match", and the review of the proposals an optimiser run makes."""
