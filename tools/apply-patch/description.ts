// The model-facing description of apply_patch: the format is the whole interface, so it is given in
// full, once, in its most compact form (an example plus the rules the example does not show). Where
// sprout differs from Codex's apply_patch on purpose (Add File and Move to never overwrite, one path
// may appear in several operations, applied in order, a missing final newline, CRLF and non-UTF-8
// bytes are kept, binary files are refused, a pure addition goes right after its @@ line, "..."
// matches "…") is in the README's tool table; the errors say it to the model when it matters.

export const APPLY_PATCH_DESCRIPTION = `Add, update, rename and delete files in one all-or-nothing patch; on a misfit nothing changes and the error shows the file's lines.
*** Begin Patch
*** Add File: docs/notes.md
+every line of a new file starts with +
*** Update File: src/math.py
@@ def add(a, b):
     """Add two numbers."""
-    return a - b
+    return a + b
*** Update File: src/old.py
*** Move to: src/new.py
*** Delete File: src/unused.py
*** End Patch
Hunk lines: " " context, "-" remove, "+" add, copied exactly (no read_file line numbers); about 3 context lines around each change, hunks in file order, never overlapping. "@@ <line above the change>" places a hunk whose context is not unique (several @@ lines narrow down). "*** End of File" ends a hunk at the file's end.`;
