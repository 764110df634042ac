#!/usr/bin/python3
"""Proves scripts/apt-packages.txt complete on a machine where the packages happen to be
installed already.

Every file outside the checkout that the build reads or the tests run is collected:
the package-config folders and programs in CMakeCache.txt, the headers in the
compilers' dependency records (`ninja -t deps`), the programs every build command runs,
the libraries on the link lines and those the built binaries load, and the programs the
tests run (ctest's commands, the tools in lit RUN lines and in the CMake scripts tests
run, the scripts' own tools). Each file's Debian package is looked up in dpkg's
database; it must be in the list, be pulled in by one that is (Pre-Depends/Depends,
recursively: scripts/setup installs without Recommends), or be part of the smallest
base system (Essential, or priority required: what `debootstrap --variant=minbase`
installs; "important" packages are not assumed, as a container image lacks them). A
file that no package owns must lie under a prefix of scripts/image-or-pypi.txt. Each
missing package is named with the files that needed it.

--expect-missing PKG runs the same check with PKG taken off the list and succeeds only
when the check then names PKG: the test that shows this test can fail.
"""
import argparse
import glob
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections import defaultdict

# Programs scripts/setup, build, test and demo call by name (besides cmake, ninja and
# ctest, which CMakeCache.txt names).
SCRIPT_TOOLS = ["bash", "bc", "date", "grep", "dpkg-query", "apt-get", "readelf", "env"]
# Programs CMake found and the build runs. Other FILEPATH entries are optional finds
# (FindLibXml2's xmllint, say) that configure does without.
CACHE_PROGRAMS = {"CMAKE_CXX_COMPILER", "CMAKE_C_COMPILER", "CMAKE_MAKE_PROGRAM", "CMAKE_COMMAND",
                  "CMAKE_CTEST_COMMAND", "CCACHE_PROGRAM", "LIT_EXE", "TEGULA_PTXAS", "TEGULA_LLC",
                  "TEGULA_LLD"}
# Data files CMake found that compiled kernels read (the rocm target's device libraries).
CACHE_FILES = {"TEGULA_ROCM_OCML"}


def read_apt_list(path):
    packages = []
    with open(path) as f:
        for line in f:
            packages += line.split("#", 1)[0].split()
    return packages


def read_image_list(path):
    """[(tool, pin, [prefix...])] with $HOME and $TEGULA_TOOLS_DIR expanded."""
    home = os.path.expanduser("~")
    tools_dir = os.environ.get("TEGULA_TOOLS_DIR", os.path.join(home, ".local/share/tegula-tools"))
    entries = []
    with open(path) as f:
        for line in f:
            words = line.split("#", 1)[0].split()
            if not words:
                continue
            prefixes = [w.replace("$HOME", home).replace("$TEGULA_TOOLS_DIR", tools_dir) for w in words[2:]]
            entries.append((words[0], words[1], prefixes))
    return entries


class Dpkg:
    """File owners and the installed packages' relations, read once from dpkg."""

    def __init__(self):
        self.owners = defaultdict(set)
        for lst in glob.glob("/var/lib/dpkg/info/*.list"):
            pkg = os.path.basename(lst)[: -len(".list")].split(":")[0]
            with open(lst, errors="replace") as f:
                for line in f:
                    self.owners[line.rstrip("\n")].add(pkg)
        fmt = "${Package}\\t${db:Status-Abbrev}\\t${Priority}\\t${Essential}\\t${Pre-Depends}\\t${Depends}\\t${Provides}\\n"
        out = subprocess.run(["dpkg-query", "-W", "-f=" + fmt], capture_output=True, text=True, check=True).stdout
        self.installed, self.base, self.depends = set(), set(), {}
        self.providers = defaultdict(set)
        for line in out.splitlines():
            name, status, priority, essential, pre, dep, provides = (line.split("\t") + [""] * 7)[:7]
            if not status.startswith("ii"):
                continue
            self.installed.add(name)
            if priority == "required" or essential == "yes":
                self.base.add(name)
            self.depends[name] = [g for g in (pre + "," + dep).split(",") if g.strip()]
            for p in provides.split(","):
                if p.strip():
                    self.providers[bare_name(p)].add(name)

    def owner_of(self, path):
        """The packages owning path, trying the path as written, its real path and the
        other side of Debian's merged /usr (dpkg may record /bin/x for /usr/bin/x)."""
        candidates = [path, os.path.realpath(path)]
        for p in list(candidates):
            for top in ("/bin/", "/sbin/", "/lib/", "/lib64/"):
                if p.startswith(top):
                    candidates.append("/usr" + p)
                if p.startswith("/usr" + top):
                    candidates.append(p[len("/usr"):])
        for c in candidates:
            if c in self.owners:
                return self.owners[c]
        return set()

    def closure(self, roots):
        """Packages a fresh install of roots brings: Pre-Depends and Depends, recursively,
        taking in each alternative group the first member that is installed here (apt
        takes the first one it can; one installed here stands in for it)."""
        seen, stack = set(), [r for r in roots if r in self.installed]
        while stack:
            pkg = stack.pop()
            if pkg in seen:
                continue
            seen.add(pkg)
            for group in self.depends.get(pkg, []):
                for alt in group.split("|"):
                    name = bare_name(alt)
                    chosen = {name} if name in self.installed else self.providers.get(name, set())
                    if chosen:
                        stack.extend(chosen)
                        break
        return seen


def bare_name(relation):
    return re.sub(r"\(.*?\)|\[.*?\]|<.*?>", "", relation).strip().split(":")[0]


class Collector:
    """Files outside the checkout, each with the reason it was needed."""

    def __init__(self, source, build):
        self.source, self.build = os.path.realpath(source), os.path.realpath(build)
        self.files = {}

    def inside(self, path):
        real = os.path.realpath(path)
        return any(real == d or real.startswith(d + os.sep) for d in (self.source, self.build))

    def add(self, path, why):
        if not path or not os.path.isabs(path) or not os.path.exists(path) or self.inside(path):
            return
        if os.path.isdir(path):
            return
        self.files.setdefault(os.path.normpath(path), why)

    def add_program(self, name, why, path_list=None):
        path = name if os.path.isabs(name) else shutil.which(name, path=path_list)
        if not path:
            return
        self.add(path, why)
        # A script's interpreter is run too (lit is a Python script).
        try:
            with open(path, "rb") as f:
                first = f.readline()
            if first.startswith(b"#!"):
                words = first[2:].decode(errors="replace").split()
                if words:
                    interp = words[1] if os.path.basename(words[0]) == "env" and len(words) > 1 else words[0]
                    self.add_program(interp, "interpreter of " + path)
        except OSError:
            pass


def collect_cmake_cache(c, build):
    for line in open(os.path.join(build, "CMakeCache.txt"), errors="replace"):
        m = re.match(r"^([A-Za-z0-9_.+-]+):(PATH|FILEPATH|INTERNAL|STRING)=(/.*)$", line.strip())
        if not m:
            continue
        key, kind, value = m.groups()
        why = "CMakeCache.txt " + key
        if key.endswith("_DIR") and os.path.isdir(value) and not c.inside(value):
            configs = glob.glob(os.path.join(value, "*[Cc]onfig.cmake")) + glob.glob(os.path.join(value, "*-config.cmake"))
            for cfg in configs:
                c.add(cfg, why)
        elif key in CACHE_PROGRAMS:
            c.add_program(value, why)
        elif key in CACHE_FILES:
            c.add(value, why)


def ninja(build, *args):
    return subprocess.run(["ninja", "-C", build, "-t", *args], capture_output=True, text=True, check=True).stdout


def collect_ninja_deps(c, build):
    target = None
    for line in ninja(build, "deps").splitlines():
        if not line.startswith(" "):
            target = line.split(":")[0]
        else:
            c.add(line.strip(), "header read by " + str(target))


def linker_search_dirs():
    out = subprocess.run(["c++", "-print-search-dirs"], capture_output=True, text=True).stdout
    for line in out.splitlines():
        if line.startswith("libraries: ="):
            return [os.path.normpath(d) for d in line[len("libraries: ="):].split(":") if d]
    return []


def driver_inputs(compiler, flags):
    """What the compiler driver adds to a link by itself (start files, the C++ and
    sanitizer runtimes): its -### plan for linking an empty input with these flags."""
    out = subprocess.run([compiler, *flags, "-###", "/dev/null", "-o", "/dev/null"], capture_output=True, text=True)
    paths = []
    for line in out.stderr.splitlines():
        for word in line.split():
            word = word.strip('"')
            if os.path.isabs(word) and os.path.isfile(word) and word != "/dev/null":
                paths.append(word)
    return paths


# Link flags that change what the driver adds.
DRIVER_FLAGS = re.compile(r"^-(fsanitize=.*|shared|static.*|nostdlib.*|pthread|fuse-ld=.*|rdynamic)$")


def collect_ninja_commands(c, build):
    default_dirs = linker_search_dirs()
    probed = set()
    for command in ninja(build, "commands").splitlines():
        for part in re.split(r"&&|;", command):
            words = shlex.split(part.strip(), posix=True) if part.strip() else []
            if not words or words[0] in (":", "cd"):
                continue
            c.add_program(words[0], "build command")
            if words[0].endswith("ccache") and len(words) > 1:
                c.add_program(words[1], "build command")
            if "-o" not in words or "-c" in words:
                continue
            # A link: its libraries, by path or by -l through -L and the default dirs.
            lib_dirs = [w[2:] for w in words if w.startswith("-L")] + default_dirs
            output = words[words.index("-o") + 1]
            compiler = words[1] if words[0].endswith("ccache") and len(words) > 1 else words[0]
            key = (compiler, tuple(sorted({w for w in words if DRIVER_FLAGS.match(w)})))
            if key not in probed:
                probed.add(key)
                for path in driver_inputs(compiler, list(key[1])):
                    c.add(path, "added to links by " + " ".join([os.path.basename(compiler), *key[1]]))
            for w in words:
                if re.search(r"\.(so(\.[0-9]+)*|a)$", w) and os.path.isabs(w):
                    c.add(w, "linked into " + output)
                elif w.startswith("-l") and len(w) > 2:
                    for d in lib_dirs:
                        found = [p for p in (os.path.join(d, "lib" + w[2:] + ".so"), os.path.join(d, "lib" + w[2:] + ".a")) if os.path.exists(p)]
                        if found:
                            c.add(found[0], "linked into " + output + " as " + w)
                            break


def collect_loaded_libraries(c, build):
    for path in glob.glob(os.path.join(build, "bin", "*")) + glob.glob(os.path.join(build, "lib", "*.so*")):
        if not os.path.isfile(path):
            continue
        out = subprocess.run(["ldd", path], capture_output=True, text=True).stdout
        for line in out.splitlines():
            m = re.search(r"=> (/\S+)", line) or re.match(r"\s*(/\S+)", line)
            if m:
                c.add(m.group(1), "loaded by " + os.path.relpath(path, build))


def collect_tests(c, source, build, llvm_tools_dir):
    info = json.loads(subprocess.run(["ctest", "--test-dir", build, "--show-only=json-v1"],
                                     capture_output=True, text=True, check=True).stdout)
    scripts = set()
    for test in info.get("tests", []):
        command = test.get("command") or []
        if not command:
            continue
        why = "test " + test["name"]
        c.add_program(command[0], why)
        for arg in command[1:]:
            value = arg.split("=", 1)[1] if arg.startswith("-D") and "=" in arg else arg
            if os.path.isabs(value) and os.path.isfile(value):
                if value.endswith(".cmake"):
                    scripts.add(value)
                elif os.access(value, os.X_OK):
                    c.add_program(value, why)
    # Programs the CMake scripts run.
    for script in scripts:
        text = open(script, errors="replace").read()
        for name in re.findall(r"COMMAND\s+([A-Za-z0-9_.+-]+)", text):
            c.add_program(name, "run by " + os.path.relpath(script, source))
    # Programs in lit RUN lines, found on the PATH lit gives them.
    lit_path = os.pathsep.join([os.path.join(build, "bin"), llvm_tools_dir, os.environ.get("PATH", "")])
    for root, dirs, files in os.walk(source):
        dirs[:] = [d for d in dirs if not d.startswith(("build", ".git"))]
        for name in files:
            if not name.endswith(".mlir"):
                continue
            path = os.path.join(root, name)
            for line in open(path, errors="replace"):
                m = re.search(r"RUN:(.*)", line)
                if not m:
                    continue
                for seg in re.split(r"\||&&|;", m.group(1)):
                    words = [w for w in seg.split() if not re.match(r"^[A-Z_]+=", w)]
                    while words and words[0] in ("not", "env"):
                        words = words[1:]
                    if words and not words[0].startswith("%") and re.match(r"^[A-Za-z0-9_.+/-]+$", words[0]):
                        c.add_program(words[0], "lit RUN line in " + os.path.relpath(path, source), lit_path)
    for tool in SCRIPT_TOOLS:
        c.add_program(tool, "scripts/")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--source", required=True)
    ap.add_argument("--build", required=True)
    ap.add_argument("--llvm-tools-dir", default="/usr/lib/llvm-22/bin")
    ap.add_argument("--expect-missing", metavar="PKG")
    args = ap.parse_args()

    apt_list = read_apt_list(os.path.join(args.source, "scripts", "apt-packages.txt"))
    image_list = read_image_list(os.path.join(args.source, "scripts", "image-or-pypi.txt"))
    if args.expect_missing:
        if args.expect_missing not in apt_list:
            print(f"error: {args.expect_missing} is not in scripts/apt-packages.txt")
            return 1
        apt_list.remove(args.expect_missing)

    c = Collector(args.source, args.build)
    collect_cmake_cache(c, args.build)
    collect_ninja_deps(c, args.build)
    collect_ninja_commands(c, args.build)
    collect_loaded_libraries(c, args.build)
    collect_tests(c, args.source, args.build, args.llvm_tools_dir)

    dpkg = Dpkg()
    not_installed = [p for p in apt_list if p not in dpkg.installed]
    if not_installed:
        print("error: listed but not installed here (run scripts/setup): " + " ".join(not_installed))
        return 1
    provided = dpkg.closure(apt_list) | dpkg.closure(dpkg.base)

    missing = defaultdict(list)   # package -> [(file, why)]
    unowned = []
    image_used = defaultdict(int)
    for path, why in sorted(c.files.items()):
        owners = dpkg.owner_of(path)
        if owners:
            if not owners & provided:
                missing[sorted(owners)[0]].append((path, why))
            continue
        real = os.path.realpath(path)
        entry = next((e for e in image_list if any(p.startswith(pre) for p in (path, real) for pre in e[2])), None)
        if entry:
            image_used[entry[0]] += 1
            if os.environ.get("VERBOSE"):
                print(f"image-or-PyPI {entry[0]}: {path} ({why})")
        else:
            unowned.append((path, why))

    print(f"install list: {len(apt_list)} packages listed, {len(provided)} with their dependencies and the base system")
    print(f"checked {len(c.files)} files outside the checkout; from image-or-PyPI tools: "
          + (", ".join(f"{k} ({v} files)" for k, v in sorted(image_used.items())) or "none"))
    for pkg, needs in sorted(missing.items()):
        print(f"MISSING package {pkg}: not in scripts/apt-packages.txt nor pulled in by one; needed by")
        for path, why in needs[:3]:
            print(f"    {path} ({why})")
        if len(needs) > 3:
            print(f"    ... and {len(needs) - 3} more files")
    for path, why in unowned:
        print(f"UNOWNED {path} ({why}): no Debian package owns it and it is under no prefix of scripts/image-or-pypi.txt")

    if args.expect_missing:
        if args.expect_missing in missing:
            print(f"ok: with {args.expect_missing} taken off the list, the check names it")
            return 0
        print(f"FAIL: {args.expect_missing} was taken off the list and the check did not notice")
        return 1
    if missing or unowned:
        return 1
    print("ok: every file comes from a listed package, its dependencies, the base system or a declared tool")
    return 0


if __name__ == "__main__":
    sys.exit(main())
