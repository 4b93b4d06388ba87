// The model-facing description of apply_patch. It is long on purpose: the format is the whole
// interface, and every rule left out here comes back as a failed call. It says where sprout differs
// from Codex's apply_patch on purpose, since models trained on that tool expect its behaviour.

export const APPLY_PATCH_DESCRIPTION = `Change files with one patch: add, update, rename and delete any number of files in a single call.
The patch applies all or nothing: when any part of it does not fit, no file is changed and the error names the file and the hunk that failed and shows the file's lines there.

Format:
*** Begin Patch
*** Add File: docs/notes.md
+Every line of a new file starts with +.
+
+Including empty ones.
*** Update File: src/math.py
@@ def add(a, b):
     """Add two numbers."""
-    return a - b
+    return a + b
*** Update File: src/old_name.py
*** Move to: src/new_name.py
@@
 import os
-import sys
*** Delete File: src/unused.py
*** End Patch

Rules:
- Paths are relative to the working directory. Each file operation starts with "*** Add File: ", "*** Update File: " or "*** Delete File: " and a path.
- Add File creates a file that must not exist yet. Update File and Delete File need a file that exists. "*** Move to: <new path>" right after "*** Update File" also renames the file (it may have no hunks then).
- An update is made of hunks. Each hunk starts with a line "@@", optionally followed by one line copied from the file above the change (a function signature, a class, a heading) that places the hunk when the context alone could match in several places. Several @@ lines in a row narrow down step by step: "@@ class Foo" and on the next line "@@ def bar(self):" finds bar inside Foo.
- Inside a hunk every line starts with one character: a space for an unchanged context line, "-" for a line to remove, "+" for a line to add. Copy context and removed lines exactly as they are in the file (indentation included, without read_file's line numbers).
- Show about 3 unchanged lines above and below each change, and more when that does not make the place unique. Do not repeat a context line in two hunks: hunks of one file go in the order of the file and never overlap.
- End a hunk with "*** End of File" when its lines are the last lines of the file.
- To replace a whole file, delete it and add it again in the same patch.
- The patch must end with "*** End Patch".

Where this differs from other apply_patch tools (Codex's), on purpose:
- Add File refuses a path that already exists, and Move to refuses a target that exists: nothing is overwritten silently. Delete the file first in the same patch to replace it.
- One path may appear in several operations; they apply in order, each seeing the result of the one before (Delete then Add replaces a file).
- A file that ends without a final newline keeps it that way; a file's CRLF line breaks, its encoding (a non-UTF-8 file is kept byte for byte) are kept, and binary files are refused.
- A hunk that only adds lines goes right after its @@ line (or at the end of the file when it has none), not always at the end.
- "..." in the patch matches "…" in the file, besides the quotes, dashes and spaces below.

Lines are matched exactly first; when that fails, differences in trailing whitespace, then indentation, then typographic punctuation (curly quotes, long dashes, non-breaking spaces) are forgiven, and the output says when a hunk needed that. Unchanged lines keep the file's own text either way.
On success the output lists each file as "A path" (added), "M path" (modified), "D path" (deleted) or "R old -> new" (renamed), with the number of lines added (+) and removed (-).`;
