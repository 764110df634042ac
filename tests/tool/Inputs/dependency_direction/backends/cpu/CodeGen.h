// A backend's own header (its stem is CodeGen.cpp's).
