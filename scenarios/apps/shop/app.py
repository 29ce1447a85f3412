"""A small shop, built the way a Flask course builds one: the app, a blueprint for the
catalogue, a before_request hook, an error page of its own, and a view with a bug in it.

Serve it with reqtrace (`reqtrace serve --wsgi scenarios/apps/shop/app.py`), with gunicorn
(`gunicorn --chdir scenarios/apps/shop app:app`) or with `flask --app app run` from this
folder: it is an ordinary Flask app.
"""
from flask import Flask, Response, abort, g, redirect, request, url_for

from catalog import PRODUCTS, catalog

app = Flask(__name__)
app.register_blueprint(catalog, url_prefix="/products")


@app.before_request
def identify_shopper():
    # Runs before every view; a shopper who has said who they are is greeted by name.
    g.shopper = request.cookies.get("shopper", "guest")


@app.errorhandler(403)
def staff_only(error):
    return f"<h1>Staff only</h1><p>Sorry {g.shopper}, this page is for the shop's staff.</p>", 403


@app.route("/")
def home():
    return f"<h1>The shop</h1><p>Welcome, {g.shopper}!</p>"


@app.route("/admin")
def admin():
    abort(403)


@app.route("/catalogue")
def old_catalogue():
    # The catalogue moved into the blueprint; old links still work.
    return redirect(url_for("catalog.list_products"))


@app.route("/order", methods=["POST"])
def order():
    product = PRODUCTS[int(request.form["product"])]
    quantity = int(request.form.get("quantity", "1"))
    return f"Thank you, {g.shopper}: {quantity} x {product['name']} ordered.\n"


@app.route("/receipt")
def receipt():
    def lines():
        total = 0
        for product in PRODUCTS.values():
            total += product["price"]
            yield f"{product['name']:<10}{product['price']:>6.2f}\n"
        yield f"{'total':<10}{total:>6.2f}\n"

    # A generator as the body: Flask cannot know its length, so the server frames it.
    return Response(lines(), mimetype="text/plain")


@app.route("/discount")
def discount():
    in_stock = 0
    return f"{100 // in_stock}% off today"  # the bug: nothing in stock, a division by zero
