"""Charts drawn on the server as SVG: no script, nothing fetched from the internet. Each chart is shown with a
table of the same numbers, which is what screen readers read; the SVG itself is one labelled image."""

from dataclasses import dataclass

WIDTH, HEIGHT = 720, 280
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 12, 36


@dataclass(frozen=True)
class Series:
    name: str
    points: str  # the polyline's "x,y x,y ..."
    css_class: str


@dataclass(frozen=True)
class Tick:
    at: float
    label: str


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    series: list[Series]
    highlighted: list[tuple[float, float]]  # x and width of each column highlighted (a shortfall)
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    plot_left: int = LEFT
    plot_right: int = WIDTH - RIGHT
    plot_bottom: int = HEIGHT - BOTTOM


def line_chart(labels: list[str], series: dict[str, tuple[list[float], str]], highlighted: list[bool]) -> LineChart:
    """Lines of values over the labels (at least two), from zero up to a round number above the highest value;
    the columns of the labels marked in `highlighted` are shaded."""
    top = _round_up(max((value for values, _ in series.values() for value in values), default=1))
    step = (WIDTH - LEFT - RIGHT) / (len(labels) - 1)

    def x(index: int) -> float:
        return round(LEFT + index * step, 1)

    def y(value: float) -> float:
        return round(HEIGHT - BOTTOM - value / top * (HEIGHT - TOP - BOTTOM), 1)

    return LineChart(
        WIDTH, HEIGHT,
        [Series(name, " ".join(f"{x(i)},{y(v)}" for i, v in enumerate(values)), css_class)
         for name, (values, css_class) in series.items()],
        [(round(x(i) - step / 2, 1), round(step, 1)) for i, shaded in enumerate(highlighted) if shaded],
        [Tick(y(top * n / 4), f"{round(top * n / 4):,}") for n in range(5)],
        [Tick(x(i), label) for i, label in enumerate(labels) if i % 4 == 0],
    )


def _round_up(value: float) -> int:
    """The next round number at or above the value: 1, 2 or 5 times a power of ten."""
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            if value <= factor * magnitude:
                return factor * magnitude
        magnitude *= 10
