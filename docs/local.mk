dist_man_MANS += docs/contain.1
