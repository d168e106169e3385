# Stubs of the compiled module bankquant._core (written by scripts/make_stubs.py). Private: users
# import the bankquant package, whose Python modules carry their own annotations.
from . import core as core
from . import forecast as forecast
from . import graph as graph
from . import portfolio as portfolio
from . import risk as risk
from . import scorecard as scorecard
from . import staffing as staffing
