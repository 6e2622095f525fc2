"""Languages: specs, DFAs, the zoo and the non-regular counter languages."""
