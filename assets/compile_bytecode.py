# wheelbarrow's bytecode compiler driver, run by the target's own CPython as
#   python3.X -S -s -B -c <this file>   (environment cleared but PYTHONHASHSEED=0)
# It reads one JSON object on stdin:
#   {"mode": "unchecked-hash" | "checked-hash", "files": [[source, dfile, cfile], ...]}
# and compiles each source to cfile (PEP 552 hash-based .pyc), recording dfile (the path Lambda
# sees, /opt/python/...) as the code objects' file name. Nothing is imported from the packages:
# compiling only parses the source. It prints one JSON line per file that does not compile,
# then {"done": N}.
import sys

# Never look in the current folder (or anywhere but the standard library) for modules.
sys.path[:] = [p for p in sys.path if p]

import json
import py_compile


def describe(error):
    if isinstance(error, SyntaxError):
        where = " (line %s)" % error.lineno if error.lineno else ""
        return "%s: %s%s" % (type(error).__name__, error.msg, where)
    return "%s: %s" % (type(error).__name__, error)


def main():
    job = json.load(sys.stdin)
    modes = {
        "unchecked-hash": py_compile.PycInvalidationMode.UNCHECKED_HASH,
        "checked-hash": py_compile.PycInvalidationMode.CHECKED_HASH,
    }
    mode = modes[job["mode"]]
    done = 0
    for source, dfile, cfile in job["files"]:
        try:
            py_compile.compile(
                source, cfile=cfile, dfile=dfile, doraise=True, invalidation_mode=mode
            )
        except py_compile.PyCompileError as e:
            print(json.dumps({"file": dfile, "error": describe(e.exc_value)}))
        except (ValueError, RecursionError, MemoryError, UnicodeError, OSError) as e:
            print(json.dumps({"file": dfile, "error": describe(e)}))
        done += 1
    print(json.dumps({"done": done}))


main()
