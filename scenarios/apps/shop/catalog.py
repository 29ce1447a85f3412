"""The catalogue: a blueprint, so its routes live apart from the app until it is registered."""
from flask import Blueprint, abort

catalog = Blueprint("catalog", __name__)

PRODUCTS = {
    1: {"name": "tea", "price": 3.5},
    2: {"name": "scones", "price": 2.25},
}


@catalog.route("/")
def list_products():
    # A list is JSON to Flask 2.2's make_response, as a dict is.
    return [{"id": number, **product} for number, product in PRODUCTS.items()]


@catalog.route("/<int:product_id>")
def product(product_id):
    if product_id not in PRODUCTS:
        abort(404)
    return PRODUCTS[product_id]
