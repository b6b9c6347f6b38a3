"""`communiques studio`: a local web editor over a press office, with a live preview of the
real PDF. The same stages as `build` and `check` (load, proofread, render), kept warm in one
server process that listens on 127.0.0.1 and answers only the holder of its token.

Modules: `security` (token, Host, Origin, CSP), `workspace` (the office's files, paths kept
inside it, saving with conflict detection), `yamledit` (round-trip edits of the YAML),
`form` (the form made from the data model), `preview` (validate, proofread, lay out,
rasterise), `app` (routes), `server` (start, watch files, stop).
"""
