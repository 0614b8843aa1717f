import time, sqlalchemy as sa
from app import create_app
from app.extensions import db
from app.models import User
from tests.app.pages import PageClient
app = create_app()
app.config["WTF_CSRF_ENABLED"] = False
with app.app_context():
    c = PageClient(app.test_client())
    for email in ("national.manager@demo.test", "referral.unit@demo.test"):
        c.sign_in(db.session.scalar(sa.select(User).where(User.email == email)))
        for url in ("/planning/occupancy", "/planning/occupancy?room_characteristic=is_arson_suitable", "/planning/forecast", "/planning/move-on", "/planning/figures",
                    "/planning/figures?start=1&start=1&start=2026&end=1&end=1&end=2025", "/planning/figures?region=999"):
            t = time.perf_counter(); page = c.get(url); ms = (time.perf_counter() - t) * 1000
            print(email, url, round(ms), [e.get_text(" ", strip=True)[:80] for e in page.select(".govuk-error-message")])
        for url in ("/planning/occupancy/download.csv", "/planning/forecast/download.xlsx", "/planning/figures/download.csv", "/planning/figures/placements.csv?start=1&start=12&start=2025&end=30&end=11&end=2026", "/planning/move-on/awaiting.csv"):
            r = c.client.get(url); body = r.get_data(); print(url, r.status_code, r.mimetype, len(body), body[:150])
