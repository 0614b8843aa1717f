from flask import Blueprint

bp = Blueprint("manage", __name__, url_prefix="/premises")
