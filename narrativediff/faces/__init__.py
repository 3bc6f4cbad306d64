"""The faces: what a user sees of a Comparison; they render what the stages computed.

``display`` is the notebook view (plain dicts, then HTML from templates), ``plot`` the matplotlib
figures, ``report`` the self-contained HTML report and the table exports, ``cli`` the command line.
Nothing here is imported by the stages, and matplotlib is imported only inside the plots.
"""
