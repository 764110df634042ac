# Lit configuration: FileCheck tests live beside what they test (dialects/*/test,
# backends/*/test, tests/lit); this file gathers them into one suite.
import os
import lit.formats

config.name = "Tegula"
config.test_format = lit.formats.ShTest(True)
config.suffixes = [".mlir"]
config.test_source_root = config.tegula_src_root
config.test_exec_root = os.path.join(config.tegula_obj_root, "tests", "lit", "out")
# Build trees (build, build-*), fuzz corpora and this configuration's own folder are not test
# folders; lit would otherwise take tests/lit for a second suite.
config.excludes = ["docs", "bench", "scripts", "python", "Inputs", "corpus", "CMakeFiles", "lit", ".git"]
config.excludes += [d for d in os.listdir(config.tegula_src_root) if d.startswith("build")]
config.environment["PATH"] = os.pathsep.join(
    [config.tegula_tools_dir, config.llvm_tools_dir, config.environment.get("PATH", "")])
config.substitutions.append(("%tegula", os.path.join(config.tegula_tools_dir, "tegula")))
