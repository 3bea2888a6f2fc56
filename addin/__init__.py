"""Front ends of 决算检查: the headless output writers and the Excel add-in."""
