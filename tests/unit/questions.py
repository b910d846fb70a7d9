"""One hand-written question of every type, shared by the tests."""

from socratiq_local.quiz.models import Quiz

QUIZ = Quiz.model_validate(
    {
        "id": "sample",
        "title": "Every question type",
        "chapter": "ch1",
        "section": "sec-a",
        "questions": [
            {
                "type": "single_choice",
                "id": "sc",
                "text": "Which format stores 8-bit integers?",
                "choices": [
                    {"id": "a", "text": "FP32", "feedback": "32-bit floats."},
                    {"id": "b", "text": "INT8", "correct": True},
                    {"id": "c", "text": "BF16"},
                ],
                "explanation": "INT8 is 8 bits.",
            },
            {
                "type": "multiple_choice",
                "id": "mc",
                "text": "Which are accelerators?",
                "choices": [
                    {"id": "a", "text": "GPU", "correct": True},
                    {"id": "b", "text": "TPU", "correct": True},
                    {"id": "c", "text": "NIC"},
                    {"id": "d", "text": "SSD", "feedback": "Storage, not compute."},
                ],
            },
            {
                "type": "true_false",
                "id": "tf",
                "text": "Batching raises throughput.",
                "answer": True,
            },
            {
                "type": "fill_blank",
                "id": "fb",
                "text": "INT8 uses ____ bits and the ____ function is common.",
                "blanks": [
                    {"accepted": ["8", "eight"], "tolerance": 0},
                    {"accepted": ["ReLU", "rectified linear unit"]},
                ],
            },
            {
                "type": "short_answer",
                "id": "sa",
                "text": "Why quantize?",
                "model_answer": "Smaller, faster models.",
            },
            {
                "type": "ordering",
                "id": "or",
                "text": "Order the pipeline.",
                "items": ["Ingest", "Clean", "Train", "Serve"],
            },
            {
                "type": "matching",
                "id": "ma",
                "text": "Match.",
                "pairs": [
                    {"id": "p1", "left": "FP32", "right": "4 bytes"},
                    {"id": "p2", "left": "FP16", "right": "2 bytes"},
                    {"id": "p3", "left": "INT8", "right": "1 byte"},
                ],
                "distractors": [{"id": "x1", "text": "3 bytes"}],
            },
            {
                "type": "numeric",
                "id": "nu",
                "text": "Bytes in FP32 ResNet-50 (25.6 M params), in MB?",
                "value": 102.4,
                "tolerance": 0.5,
                "unit": "MB",
            },
            {"type": "numeric", "id": "nr", "text": "A range.", "min": 10, "max": 20},
            {
                "type": "numeric",
                "id": "nrel",
                "text": "Relative.",
                "value": 1000,
                "relative_tolerance": 0.05,
            },
        ],
    }
)

BY_ID = {q.id: q for q in QUIZ.questions}
