//! Inspecting a layer zip built by any tool.
