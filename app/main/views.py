from flask import Blueprint, jsonify, render_template
from flask_login import current_user
from sqlalchemy import text

from app.extensions import db
from app.navigation import navigation_items
from app.permissions import Permission, public, requires

bp = Blueprint("main", __name__)


@bp.app_context_processor
def navigation():
    return {"navigation_items": navigation_items}


@bp.get("/")
@requires(Permission.USE_SERVICE)
def home():
    areas = [item for item in navigation_items() if item.endpoint != "main.home"]
    return render_template("main/home.html", title="Home", areas=areas, roles=current_user.roles)


@bp.get("/health")
@public
def health():
    """For load balancers and monitoring: 200 only when the database answers."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any database failure means unhealthy
        db.session.rollback()
        return jsonify(status="unavailable", database="unreachable"), 503
    return jsonify(status="ok", database="ok")
